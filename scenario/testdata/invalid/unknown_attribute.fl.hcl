cloud "lab" {
  node "ctl-1" { address = "198.18.0.11" }
  network "mgmt" {
    ifce = "eth1" # ERROR: Unsupported argument @col=5
  }
}
