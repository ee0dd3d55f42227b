cloud "lab" {
  node "ctl-1" {
    address = "198.18.0.11"
    power   = power.bcm # ERROR: Reference to undeclared power controller
  }
  power "bmc" { driver = "ipmi" }
}
