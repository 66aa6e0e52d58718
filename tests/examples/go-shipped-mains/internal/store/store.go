package store

//go:generate go run ./gen -out items_gen.go

// Count is the number of items in stock.
func Count() int { return len(items) }
