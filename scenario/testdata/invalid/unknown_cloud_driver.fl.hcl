cloud "lab" {
  driver = "univresal" # ERROR: Unknown cloud driver
  node "ctl-1" { address = "198.18.0.11" }
}
