module example.com/proxydeps

go 1.25

require example.test/greet v1.0.0

require example.test/color v1.0.0 // indirect
