module example.com/modhello

go 1.23
