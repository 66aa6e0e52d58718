module example.com/tagcheck

go 1.22

require example.com/langtag v1.2.0
