# Converted from the os-faults config readme-devstack.yaml by `faultline convert`.

cloud "readme-devstack" {
  driver = "devstack"

  auth {
    username         = "stack"
    private_key_file = "cloud_key"
    become           = true
    known_hosts      = "~/.ssh/known_hosts"
    host_keys        = "strict"
  }

  node "devstack" {
    address = "devstack.local"
  }

  network "all-in-one" {
    iface = "enp0s8"
  }
}
