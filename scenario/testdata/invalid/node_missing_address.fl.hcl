cloud "lab" {
  node "n" { # ERROR: Missing required argument
    port = 22
  }
}
