probe "p" {
  cloud = cloud.lab # ERROR: Reference to undeclared cloud
  tcp {
    address = "198.18.0.11:80"
  }
}
