module example.com/apiworker

go 1.22
