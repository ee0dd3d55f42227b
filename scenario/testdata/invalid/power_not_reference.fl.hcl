cloud "lab" {
  node "n" {
    address = "198.18.0.11"
    power   = "virt" # ERROR: Invalid reference
  }
  power "virt" {
    driver = "libvirt"
  }
}
