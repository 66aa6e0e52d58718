module example.com/shout

go 1.13

require example.com/wordcase v0.3.0
