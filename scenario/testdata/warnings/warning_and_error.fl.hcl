# Warnings can sit next to errors: both are checked.
cloud "lab" {
  node "n1" {
    address = "198.18.0.11"
  }
}

scenario "s" {
  cloud = cloud.lab
  step "kill" {
    reboot  = one()
    retires = 2 # WARNING: Possible misspelt attribute
    retries = -2 # ERROR: Invalid retries
  }
}
