// Package cli is a small command tree in cobra's shape: commands with their own flags, added
// to a parent with AddCommand.
package cli

import (
	"flag"
	"fmt"
	"io"
	"sort"
)

type Command struct {
	Use   string
	Short string
	RunE  func(cmd *Command, args []string) error

	flags    *flag.FlagSet
	children map[string]*Command
}

func (c *Command) Flags() *flag.FlagSet {
	if c.flags == nil {
		c.flags = flag.NewFlagSet(c.Use, flag.ContinueOnError)
	}
	return c.flags
}

func (c *Command) AddCommand(children ...*Command) {
	if c.children == nil {
		c.children = map[string]*Command{}
	}
	for _, child := range children {
		c.children[child.Use] = child
	}
}

func (c *Command) Execute(args []string, out io.Writer) error {
	if len(args) > 0 {
		if child, ok := c.children[args[0]]; ok {
			return child.Execute(args[1:], out)
		}
	}
	if err := c.Flags().Parse(args); err != nil {
		return err
	}
	if c.RunE != nil {
		return c.RunE(c, c.Flags().Args())
	}
	names := make([]string, 0, len(c.children))
	for name := range c.children {
		names = append(names, name)
	}
	sort.Strings(names)
	fmt.Fprintf(out, "usage: %s COMMAND\n", c.Use)
	for _, name := range names {
		fmt.Fprintf(out, "  %-10s %s\n", name, c.children[name].Short)
	}
	return nil
}
