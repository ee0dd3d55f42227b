locals { api = "x" }
cloud "lab" {
  node "ctl-1" { address = local.apj } # ERROR: Reference to undeclared local value
}
