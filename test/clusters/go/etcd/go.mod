module kubefed-tools/test/clusters/go/etcd

go 1.23

require go.etcd.io/etcd/server/v3 v3.5.35
