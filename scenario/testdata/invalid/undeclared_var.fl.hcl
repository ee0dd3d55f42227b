variable "user" { default = "root" }
cloud "lab" {
  auth { username = var.usr } # ERROR: Reference to undeclared input variable @col=21
  node "ctl-1" { address = "198.18.0.11" }
}
