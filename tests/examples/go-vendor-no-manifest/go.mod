module example.com/paint

go 1.16

require example.test/legacycolor v1.0.0
