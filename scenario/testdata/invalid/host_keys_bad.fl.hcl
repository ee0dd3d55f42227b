cloud "lab" {
  auth {
    host_keys = "yolo" # ERROR: Invalid host_keys
  }
  node "ctl-1" { address = "198.18.0.11" }
}
