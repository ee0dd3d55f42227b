cloud "lab" {
  node "n1" {
    address = "198.18.0.11"
  }
}

scenario "s" {
  cloud = cloud.lab
  parallel "nothing" { # WARNING: Empty parallel group
  }
}
