module example.test/greet

go 1.22

require example.test/color v1.0.0
