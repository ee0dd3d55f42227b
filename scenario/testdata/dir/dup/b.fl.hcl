cloud "lab" {
  node "ctl-1" { address = "198.18.0.11" }
}
scenario "s" { cloud = cloud.lab }
