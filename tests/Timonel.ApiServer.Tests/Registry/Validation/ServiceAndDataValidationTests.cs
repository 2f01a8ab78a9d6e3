namespace Timonel.ApiServer.Tests.Registry.Validation;

/// <summary>Service, ConfigMap and Secret validation.</summary>
public sealed class ServiceAndDataValidationTests
{
    public static TheoryData<string, string> InvalidObjects() => new()
    {
        { "kind: Service\nmetadata: {name: s}\nspec: {selector: {app: a}}", "Service \"s\" is invalid: spec.ports: Required value" },
        { "kind: Service\nmetadata: {name: s}\nspec: {ports: [{port: 0}]}", "Service \"s\" is invalid: [spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive, spec.ports[0].targetPort: Invalid value: 0: must be between 1 and 65535, inclusive]" },
        { "kind: Service\nmetadata: {name: s}\nspec: {ports: [{port: 80}, {port: 81, name: b}]}", "Service \"s\" is invalid: spec.ports[0].name: Required value" },
        { "kind: Service\nmetadata: {name: s}\nspec: {type: Magic, ports: [{port: 80}]}", "Service \"s\" is invalid: spec.type: Unsupported value: \"Magic\": supported values: \"ClusterIP\", \"ExternalName\", \"LoadBalancer\", \"NodePort\"" },
        { "kind: Service\nmetadata: {name: s}\nspec: {sessionAffinity: Sticky, ports: [{port: 80}]}", "Service \"s\" is invalid: spec.sessionAffinity: Unsupported value: \"Sticky\": supported values: \"ClientIP\", \"None\"" },
        { "kind: Service\nmetadata: {name: s}\nspec: {type: ExternalName}", "Service \"s\" is invalid: spec.externalName: Required value" },
        { "kind: Service\nmetadata: {name: s}\nspec: {ports: [{port: 80, nodePort: 30080}]}", "Service \"s\" is invalid: spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'" },
        { "kind: Service\nmetadata: {name: s}\nspec: {ipFamilies: [IPv5], ports: [{port: 80}]}", "Service \"s\" is invalid: spec.ipFamilies[0]: Unsupported value: \"IPv5\": supported values: \"IPv4\", \"IPv6\"" },
        { "kind: Service\nmetadata: {name: s}\nspec: {ipFamilies: [IPv4, IPv4], ports: [{port: 80}]}", "Service \"s\" is invalid: spec.ipFamilies[1]: Duplicate value: \"IPv4\"" },
        { "kind: Service\nmetadata: {name: s}\nspec: {ipFamilyPolicy: DualStack, ports: [{port: 80}]}", "Service \"s\" is invalid: spec.ipFamilyPolicy: Unsupported value: \"DualStack\": supported values: \"PreferDualStack\", \"RequireDualStack\", \"SingleStack\"" },
        { "kind: Service\nmetadata: {name: s}\nspec: {type: ExternalName, externalName: db.example.com, ipFamilyPolicy: SingleStack}", "Service \"s\" is invalid: spec.ipFamilyPolicy: Forbidden: may not be set for ExternalName services" },
        { "kind: Service\nmetadata: {name: s}\nspec: {type: LoadBalancer, loadBalancerSourceRanges: [' 10.0.0.0/8 ', 10.0.0.0], ports: [{port: 80}]}", "Service \"s\" is invalid: spec.LoadBalancerSourceRanges[1]: Invalid value: \"10.0.0.0\": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)" },
        { "kind: Service\nmetadata: {name: s}\nspec: {loadBalancerSourceRanges: [10.0.0.0/8], ports: [{port: 80}]}", "Service \"s\" is invalid: spec.LoadBalancerSourceRanges: Forbidden: may only be used when `type` is 'LoadBalancer'" },
        { "kind: Service\nmetadata: {name: s}\nspec: {externalIPs: [1.2.3, 127.0.0.1], ports: [{port: 80}]}", "Service \"s\" is invalid: [spec.externalIPs[0]: Invalid value: \"1.2.3\": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff), spec.externalIPs[1]: Invalid value: \"127.0.0.1\": may not be in the loopback range (127.0.0.0/8, ::1/128)]" },
        { "kind: ConfigMap\nmetadata: {name: c}\ndata: {'a b': x}", "ConfigMap \"c\" is invalid: data[a b]: Invalid value: \"a b\": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')" },
        { "kind: Secret\nmetadata: {name: t}\ntype: kubernetes.io/tls\ndata: {tls.crt: YQ==}", "Secret \"t\" is invalid: data[tls.key]: Required value" },
        { "kind: Secret\nmetadata: {name: t}\ntype: kubernetes.io/dockerconfigjson\ndata: {}", "Secret \"t\" is invalid: data[.dockerconfigjson]: Required value" },
    };

    [Theory]
    [MemberData(nameof(InvalidObjects))]
    public void Validate_InvalidObject_AnswersUpstreamMessage(string yaml, string expected) =>
        Assert.Equal(expected, ValidationSteps.CreateMessage("", yaml));

    [Theory]
    [InlineData("Service", "1s", "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')")]
    [InlineData("Namespace", "a.b", "must not contain dots")]
    public void NameValidation_ServiceAndNamespace_UseLabelRules(string kind, string name, string expected) =>
        Assert.Equal([expected], StoreSteps.For("", kind).NameValidation(name, false));

    [Fact]
    public void Validate_ConfigMapOverOneMebibyte_IsTooLong() =>
        Assert.Equal(
            "ConfigMap \"c\" is invalid: []: Too long: may not be more than 1048576 bytes",
            ValidationSteps.CreateMessage("", $"kind: ConfigMap\nmetadata: {{name: c}}\ndata: {{a: {new string('x', 1024 * 1024 + 1)}}}"));

    [Fact]
    public void ValidateUpdate_ImmutableConfigMapData_IsForbidden() =>
        Assert.Equal(
            "ConfigMap \"c\" is invalid: data: Forbidden: field is immutable when `immutable` is set",
            ValidationSteps.UpdateMessage("", "kind: ConfigMap\nmetadata: {name: c}\nimmutable: true\ndata: {a: x}", c => c["data"]!["a"] = "y"));

    [Fact]
    public void ValidateUpdate_SecretType_IsImmutable() =>
        Assert.Equal(
            "Secret \"t\" is invalid: type: Invalid value: \"kubernetes.io/basic-auth\": field is immutable",
            ValidationSteps.UpdateMessage("", "kind: Secret\nmetadata: {name: t}\ndata: {username: YQ==}", s => s["type"] = "kubernetes.io/basic-auth"));

    [Fact]
    public void ValidateUpdate_ChangedClusterIp_MayNotChange() =>
        Assert.Equal(
            "Service \"s\" is invalid: spec.clusterIPs[0]: Invalid value: []string{\"10.43.0.11\"}: may not change once set",
            ValidationSteps.UpdateMessage("", "kind: Service\nmetadata: {name: s}\nspec: {clusterIP: 10.43.0.10, clusterIPs: [10.43.0.10], ports: [{port: 80}]}", s => s["spec"]!["clusterIP"] = "10.43.0.11"));
}
