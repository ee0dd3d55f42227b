cloud "lab" {
  auth {
    username = "a"
  }
  auth { # ERROR: Duplicate auth block
    username = "b"
  }
}
