# Hand-written equivalent of scenario/osfaults/testdata/readme-devstack.yaml.
cloud "readme-devstack" {
  driver = "devstack"
  auth {
    username         = "stack"
    private_key_file = "cloud_key"
    become           = true
  }
  node "devstack" {
    address = "devstack.local"
  }
  network "all-in-one" {
    iface = "enp0s8"
  }
}
