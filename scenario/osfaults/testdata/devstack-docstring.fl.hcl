# Converted from the os-faults config devstack-docstring.yaml by `faultline convert`.
# Secrets are not copied: pass the sensitive variables below with -var or FAULTLINE_VAR_<name>.

variable "ssh_password" {
  type        = string
  sensitive   = true
  description = "The SSH password of every node (from the os-faults config). Pass it with -var ssh_password=... or FAULTLINE_VAR_ssh_password; it is never written to a file."
}

cloud "devstack-docstring" {
  driver = "devstack"

  auth {
    username         = "ubuntu"
    private_key_file = "~/.ssh/id_rsa_devstack"
    password         = var.ssh_password
    become           = true
    known_hosts      = "~/.ssh/known_hosts"
    host_keys        = "strict"
  }

  node "devstack" {
    address = "192.168.1.10"
  }

  network "all-in-one" {
    iface = "eth1"
  }
}
