module example.test/color

go 1.22
