cloud "lab" {
  node "ctl-1" {
    address = "198.18.0.11"
    port    = 70000 # ERROR: Invalid port
  }
}
