variable "a" {
  default = 1
}
variable "a" { # ERROR: Duplicate variable name
  default = 2
}
