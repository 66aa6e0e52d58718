module example.com/armhello

go 1.24
