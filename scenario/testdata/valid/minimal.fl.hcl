cloud "lab" {
  node "n1" {
    address = "198.18.0.11"
  }
}

scenario "reboot-one" {
  cloud = cloud.lab

  step "reboot" {
    reboot = one()
  }
}
