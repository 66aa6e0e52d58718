module example.com/langtag

go 1.22
