namespace Timonel.ApiServer.Tests.Registry.Validation;

/// <summary>Node, Endpoints, ServiceAccount and PersistentVolume validation, with the messages a 1.32 API server answers.</summary>
public sealed class CoreInfrastructureValidationTests
{
    private const string Pv = "kind: PersistentVolume\nmetadata: {name: v}\nspec:\n";
    private const string LowerSubdomain = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

    public static TheoryData<string, string> InvalidObjects() => new()
    {
        // Nodes: upstream reports spec.taints under metadata.
        { "kind: Node\nmetadata: {name: n}\nspec: {taints: [{key: a, effect: Sometimes}]}", "Node \"n\" is invalid: metadata.taints[0].effect: Unsupported value: \"Sometimes\": supported values: \"NoSchedule\", \"PreferNoSchedule\", \"NoExecute\"" },
        { "kind: Node\nmetadata: {name: n}\nspec: {taints: [{key: a}]}", "Node \"n\" is invalid: metadata.taints[0].effect: Required value" },
        { "kind: Node\nmetadata: {name: n}\nspec: {taints: [{key: 'a b', effect: NoSchedule}]}", "Node \"n\" is invalid: metadata.taints[0].key: Invalid value: \"a b\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')" },
        { "kind: Node\nmetadata: {name: n}\nspec: {taints: [{key: a, effect: NoSchedule, value: x}, {key: a, effect: NoSchedule}]}", "Node \"n\" is invalid: metadata.taints[1]: Duplicate value: core.Taint{Key:\"a\", Value:\"\", Effect:\"NoSchedule\", TimeAdded:(*v1.Time)(nil)}: taints must be unique by key and effect pair" },
        { "kind: Node\nmetadata: {name: n}\nspec: {podCIDR: 10.42.0.0/33}", "Node \"n\" is invalid: spec.podCIDRs[0]: Invalid value: \"10.42.0.0/33\": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)" },
        { "kind: Node\nmetadata: {name: n}\nspec: {podCIDRs: [10.42.0.0/24, 10.43.0.0/24]}", "Node \"n\" is invalid: spec.podCIDRs: Invalid value: []string{\"10.42.0.0/24\", \"10.43.0.0/24\"}: may specify no more than one CIDR for each IP family" },
        { "kind: Node\nmetadata: {name: n}\nspec: {podCIDRs: [10.42.0.0/24, 10.42.0.0/24]}", "Node \"n\" is invalid: [spec.podCIDRs: Invalid value: []string{\"10.42.0.0/24\", \"10.42.0.0/24\"}: may specify no more than one CIDR for each IP family, spec.podCIDRs[1]: Duplicate value: \"10.42.0.0/24\"]" },
        // Endpoints.
        { "kind: Endpoints\nmetadata: {name: e}\nsubsets: [{ports: [{port: 80}]}]", "Endpoints \"e\" is invalid: subsets[0]: Required value: must specify `addresses` or `notReadyAddresses`" },
        { "kind: Endpoints\nmetadata: {name: e}\nsubsets: [{addresses: [{ip: 10.0.0.300}]}]", "Endpoints \"e\" is invalid: [subsets[0].addresses[0].ip: Invalid value: \"10.0.0.300\": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff), subsets[0].addresses[0].ip: Invalid value: \"10.0.0.300\": must be a valid IP address]" },
        { "kind: Endpoints\nmetadata: {name: e}\nsubsets: [{addresses: [{ip: 127.0.0.1}]}]", "Endpoints \"e\" is invalid: subsets[0].addresses[0].ip: Invalid value: \"127.0.0.1\": may not be in the loopback range (127.0.0.0/8, ::1/128)" },
        { "kind: Endpoints\nmetadata: {name: e}\nsubsets: [{notReadyAddresses: [{ip: 169.254.1.1}]}]", "Endpoints \"e\" is invalid: subsets[0].notReadyAddresses[0].ip: Invalid value: \"169.254.1.1\": may not be in the link-local range (169.254.0.0/16, fe80::/10)" },
        { "kind: Endpoints\nmetadata: {name: e}\nsubsets: [{addresses: [{ip: 10.0.0.1, hostname: A}]}]", "Endpoints \"e\" is invalid: subsets[0].addresses[0].hostname: Invalid value: \"A\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')" },
        { "kind: Endpoints\nmetadata: {name: e}\nsubsets: [{addresses: [{ip: 10.0.0.1}], ports: [{port: 80}, {port: 81, name: b}]}]", "Endpoints \"e\" is invalid: subsets[0].ports[0].name: Required value" },
        { "kind: Endpoints\nmetadata: {name: e}\nsubsets: [{addresses: [{ip: 10.0.0.1}], ports: [{port: 0, protocol: HTTP}]}]", "Endpoints \"e\" is invalid: [subsets[0].ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive, subsets[0].ports[0].protocol: Unsupported value: \"HTTP\": supported values: \"SCTP\", \"TCP\", \"UDP\"]" },
        // PersistentVolumes.
        { Pv + "  capacity: {storage: 1Gi}\n  hostPath: {path: /d}", "PersistentVolume \"v\" is invalid: spec.accessModes: Required value" },
        { Pv + "  accessModes: [ReadWriteOnce]\n  hostPath: {path: /d}", "PersistentVolume \"v\" is invalid: [spec.capacity: Required value, spec.capacity: Unsupported value: core.ResourceList(nil): supported values: \"storage\"]" },
        { Pv + "  accessModes: [ReadWriteOnce]\n  capacity: {storage: 1Gi, cpu: '1'}\n  hostPath: {path: /d}", "PersistentVolume \"v\" is invalid: spec.capacity: Unsupported value: map[string]interface {}{\"cpu\":\"1\", \"storage\":\"1Gi\"}: supported values: \"storage\"" },
        { Pv + "  accessModes: [ReadWriteOnce]\n  capacity: {storage: '0'}\n  hostPath: {path: /d}", "PersistentVolume \"v\" is invalid: spec.capacity[storage]: Invalid value: \"0\": must be greater than zero" },
        { Pv + "  accessModes: [ReadWriteAll]\n  capacity: {storage: 1Gi}\n  hostPath: {path: /d}", "PersistentVolume \"v\" is invalid: spec.accessModes: Unsupported value: \"ReadWriteAll\": supported values: \"ReadOnlyMany\", \"ReadWriteMany\", \"ReadWriteOnce\", \"ReadWriteOncePod\"" },
        { Pv + "  accessModes: [ReadWriteOncePod, ReadOnlyMany]\n  capacity: {storage: 1Gi}\n  hostPath: {path: /d}", "PersistentVolume \"v\" is invalid: spec.accessModes: Forbidden: may not use ReadWriteOncePod with other access modes" },
        { Pv + "  accessModes: [ReadWriteOnce]\n  capacity: {storage: 1Gi}", "PersistentVolume \"v\" is invalid: spec: Required value: must specify a volume type" },
        { Pv + "  accessModes: [ReadWriteOnce]\n  capacity: {storage: 1Gi}\n  hostPath: {path: /d}\n  nfs: {server: s, path: /e}", "PersistentVolume \"v\" is invalid: spec.nfs: Forbidden: may not specify more than 1 volume type" },
        { Pv + "  accessModes: [ReadWriteOnce]\n  capacity: {storage: 1Gi}\n  hostPath: {}", "PersistentVolume \"v\" is invalid: spec.hostPath.path: Required value" },
        { Pv + "  accessModes: [ReadWriteOnce]\n  capacity: {storage: 1Gi}\n  hostPath: {path: /d}\n  persistentVolumeReclaimPolicy: Keep", "PersistentVolume \"v\" is invalid: spec.persistentVolumeReclaimPolicy: Unsupported value: \"Keep\": supported values: \"Delete\", \"Recycle\", \"Retain\"" },
        { Pv + "  accessModes: [ReadWriteOnce]\n  capacity: {storage: 1Gi}\n  hostPath: {path: /}\n  persistentVolumeReclaimPolicy: Recycle", "PersistentVolume \"v\" is invalid: spec.persistentVolumeReclaimPolicy: Forbidden: may not be 'recycle' for a hostPath mount of '/'" },
        { Pv + "  accessModes: [ReadWriteOnce]\n  capacity: {storage: 1Gi}\n  local: {path: /mnt/d}", "PersistentVolume \"v\" is invalid: spec.nodeAffinity: Required value: Local volume requires node affinity" },
        { Pv + "  accessModes: [ReadWriteOnce]\n  capacity: {storage: 1Gi}\n  local: {path: /mnt/d}\n  nodeAffinity: {required: {nodeSelectorTerms: []}}", "PersistentVolume \"v\" is invalid: spec.nodeAffinity.required.nodeSelectorTerms: Required value: must have at least one node selector term" },
        { Pv + "  accessModes: [ReadWriteOnce]\n  capacity: {storage: 1Gi}\n  csi: {driver: d.io}", "PersistentVolume \"v\" is invalid: spec.csi.volumeHandle: Required value" },
    };

    [Theory]
    [MemberData(nameof(InvalidObjects))]
    public void Validate_InvalidObject_AnswersUpstreamMessage(string yaml, string expected) =>
        Assert.Equal(expected, ValidationSteps.CreateMessage("", yaml));

    [Theory]
    [InlineData("kind: Node\nmetadata: {name: n}\nspec: {podCIDRs: [10.42.0.0/24, 'fd00::/64'], taints: [{key: a, effect: NoSchedule}, {key: a, effect: NoExecute}]}")]
    [InlineData("kind: Endpoints\nmetadata: {name: e}\nsubsets: [{addresses: [{ip: 10.42.0.5, nodeName: n1}], notReadyAddresses: [{ip: 'fd00::5'}], ports: [{port: 80, name: http}, {port: 53, name: dns, protocol: UDP}]}]")]
    [InlineData("kind: PersistentVolume\nmetadata: {name: v}\nspec: {accessModes: [ReadWriteOnce], capacity: {storage: 1Gi}, local: {path: /mnt/d}, nodeAffinity: {required: {nodeSelectorTerms: [{matchExpressions: [{key: kubernetes.io/hostname, operator: In, values: [n1]}]}]}}}")]
    public void Validate_ValidObject_IsAccepted(string yaml) => Assert.Null(ValidationSteps.CreateMessage("", yaml));

    [Theory]
    [InlineData("Node", "Node_1")]
    [InlineData("ServiceAccount", "Builder")]
    [InlineData("PersistentVolume", "-v")]
    public void NameValidation_NodeServiceAccountAndVolume_AreDnsSubdomains(string kind, string name) =>
        Assert.Equal([LowerSubdomain], StoreSteps.For("", kind).NameValidation(name, false));

    [Fact]
    public void ValidateUpdate_ChangedPodCidr_IsForbidden() =>
        Assert.Equal(
            "Node \"n\" is invalid: spec.podCIDRs: Forbidden: node updates may not change podCIDR except from \"\" to valid",
            ValidationSteps.UpdateMessage("", "kind: Node\nmetadata: {name: n}\nspec: {podCIDR: 10.42.0.0/24, podCIDRs: [10.42.0.0/24]}",
                n => { n["spec"]!["podCIDR"] = "10.42.1.0/24"; n["spec"]!["podCIDRs"]![0] = "10.42.1.0/24"; }));

    [Fact]
    public void ValidateUpdate_FirstPodCidr_IsAllowed() =>
        Assert.Null(ValidationSteps.UpdateMessage("", "kind: Node\nmetadata: {name: n}\nspec: {}",
            n => n["spec"]!["podCIDRs"] = new System.Text.Json.Nodes.JsonArray("10.42.1.0/24")));

    [Fact]
    public void ValidateUpdate_ChangedProviderId_IsForbidden() =>
        Assert.Equal(
            "Node \"n\" is invalid: spec.providerID: Forbidden: node updates may not change providerID except from \"\" to valid",
            ValidationSteps.UpdateMessage("", "kind: Node\nmetadata: {name: n}\nspec: {providerID: 'k3s://n'}", n => n["spec"]!["providerID"] = "k3s://m"));

    [Fact]
    public void ValidateUpdate_PersistentVolumeMode_IsImmutable() =>
        Assert.Equal(
            "PersistentVolume \"v\" is invalid: volumeMode: Invalid value: \"Block\": field is immutable",
            ValidationSteps.UpdateMessage("", Pv + "  accessModes: [ReadWriteOnce]\n  capacity: {storage: 1Gi}\n  hostPath: {path: /d}", v => v["spec"]!["volumeMode"] = "Block"));
}
