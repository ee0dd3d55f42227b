cloud "lab" {
  auth {
    become_method = "sodu" # ERROR: Invalid become_method
  }
  node "ctl-1" { address = "198.18.0.11" }
}
