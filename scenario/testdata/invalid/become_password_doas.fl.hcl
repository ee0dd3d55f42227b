cloud "lab" {
  auth {
    become_method   = "doas"
    become_password = "hunter2" # ERROR: become_password needs sudo
  }
  node "ctl-1" { address = "198.18.0.11" }
}
