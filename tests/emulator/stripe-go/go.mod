module pulumi-stripe-portal/tests/emulator/stripe-go

go 1.23

require github.com/stripe/stripe-go/v84 v84.4.1
