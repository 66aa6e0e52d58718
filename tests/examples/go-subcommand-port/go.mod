module example.test/fnctl

go 1.22
