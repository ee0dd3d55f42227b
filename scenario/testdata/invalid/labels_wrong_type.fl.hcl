cloud "lab" {
  node "n" {
    address = "198.18.0.11"
    labels  = ["a"] # ERROR: Incorrect attribute value type
  }
}
