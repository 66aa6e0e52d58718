module example.com/gitinfo

go 1.24
