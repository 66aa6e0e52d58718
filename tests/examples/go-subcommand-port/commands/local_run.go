package commands

import (
	"fmt"
	"net/http"

	"example.test/fnctl/internal/cli"
)

func init() {
	rootCmd.AddCommand(newLocalRunCmd())
}

type runOptions struct {
	port int
}

var opts runOptions

func newLocalRunCmd() *cli.Command {
	cmd := &cli.Command{
		Use:   `local-run`,
		Short: "serve a function on this machine for testing",
		RunE: func(cmd *cli.Command, args []string) error {
			addr := fmt.Sprintf(":%d", opts.port)
			return http.ListenAndServe(addr, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				fmt.Fprintln(w, "local function")
			}))
		},
	}
	cmd.Flags().IntVar(&opts.port, "port", 8080, "port to bind the function to")
	return cmd
}
