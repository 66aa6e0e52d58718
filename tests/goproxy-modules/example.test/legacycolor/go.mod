module example.test/legacycolor

go 1.12
