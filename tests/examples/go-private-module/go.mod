module example.com/privatemod

go 1.26

require private.example.test/vault v1.0.0
