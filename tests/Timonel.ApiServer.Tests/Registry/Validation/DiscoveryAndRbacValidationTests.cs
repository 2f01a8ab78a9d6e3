namespace Timonel.ApiServer.Tests.Registry.Validation;

/// <summary>EndpointSlice and RBAC validation, with the messages a 1.32 API server answers.</summary>
public sealed class DiscoveryAndRbacValidationTests
{
    private const string Discovery = "discovery.k8s.io";
    private const string Rbac = "rbac.authorization.k8s.io";
    private const string Slice = "kind: EndpointSlice\nmetadata: {name: s}\n";
    private const string Binding = "kind: RoleBinding\nmetadata: {name: b}\nroleRef: {kind: Role, name: r}\n";

    public static TheoryData<string, string> InvalidSlices() => new()
    {
        { Slice + "endpoints: []", "EndpointSlice.discovery.k8s.io \"s\" is invalid: addressType: Required value" },
        { Slice + "addressType: IP", "EndpointSlice.discovery.k8s.io \"s\" is invalid: addressType: Unsupported value: \"IP\": supported values: \"FQDN\", \"IPv4\", \"IPv6\"" },
        { Slice + "addressType: IPv4\nendpoints: [{addresses: []}]", "EndpointSlice.discovery.k8s.io \"s\" is invalid: endpoints[0].addresses: Required value: must contain at least 1 address" },
        { Slice + "addressType: IPv4\nendpoints: [{addresses: ['fd00::1']}]", "EndpointSlice.discovery.k8s.io \"s\" is invalid: endpoints[0].addresses[0]: Invalid value: \"fd00::1\": must be a valid IPv4 address" },
        { Slice + "addressType: IPv6\nendpoints: [{addresses: [10.0.0.1]}]", "EndpointSlice.discovery.k8s.io \"s\" is invalid: endpoints[0].addresses[0]: Invalid value: \"10.0.0.1\": must be a valid IPv6 address" },
        { Slice + "addressType: IPv4\nendpoints: [{addresses: [0.0.0.0]}]", "EndpointSlice.discovery.k8s.io \"s\" is invalid: endpoints[0].addresses[0]: Invalid value: \"0.0.0.0\": may not be unspecified (0.0.0.0)" },
        { Slice + "addressType: FQDN\nendpoints: [{addresses: [localhost]}]", "EndpointSlice.discovery.k8s.io \"s\" is invalid: endpoints[0].addresses[0]: Invalid value: \"localhost\": should be a domain with at least two segments separated by dots" },
        { Slice + "addressType: IPv4\nendpoints: [{addresses: [10.0.0.1], hostname: A}]", "EndpointSlice.discovery.k8s.io \"s\" is invalid: endpoints[0].hostname: Invalid value: \"A\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')" },
        { Slice + "addressType: IPv4\nports: [{port: 80}, {port: 81}]", "EndpointSlice.discovery.k8s.io \"s\" is invalid: ports[1].name: Duplicate value: \"\"" },
        { Slice + "addressType: IPv4\nports: [{port: 80, protocol: HTTP}]", "EndpointSlice.discovery.k8s.io \"s\" is invalid: ports[0].protocol: Unsupported value: \"HTTP\": supported values: \"SCTP\", \"TCP\", \"UDP\"" },
    };

    public static TheoryData<string, string> InvalidRbac() => new()
    {
        { "kind: Role\nmetadata: {name: r}\nrules: [{apiGroups: [''], resources: [pods]}]", "Role.rbac.authorization.k8s.io \"r\" is invalid: rules[0].verbs: Required value: verbs must contain at least one value" },
        { "kind: Role\nmetadata: {name: r}\nrules: [{verbs: [get], resources: [pods]}]", "Role.rbac.authorization.k8s.io \"r\" is invalid: rules[0].apiGroups: Required value: resource rules must supply at least one api group" },
        { "kind: Role\nmetadata: {name: r}\nrules: [{verbs: [get], apiGroups: ['']}]", "Role.rbac.authorization.k8s.io \"r\" is invalid: rules[0].resources: Required value: resource rules must supply at least one resource" },
        { "kind: Role\nmetadata: {name: r}\nrules: [{verbs: [get], apiGroups: [''], resources: [pods, secrets], resourceNames: [a]}]", "Role.rbac.authorization.k8s.io \"r\" is invalid: rules[0].resourceNames: Required value: resource names cannot apply to multiple resources" },
        { "kind: Role\nmetadata: {name: r}\nrules: [{verbs: [get], nonResourceURLs: [/healthz]}]", "Role.rbac.authorization.k8s.io \"r\" is invalid: rules[0].nonResourceURLs: Invalid value: []string{\"/healthz\"}: namespaced rules cannot apply to non-resource URLs" },
        { "kind: ClusterRole\nmetadata: {name: r}\nrules: [{verbs: [get], nonResourceURLs: [/healthz], resources: [pods]}]", "ClusterRole.rbac.authorization.k8s.io \"r\" is invalid: rules[0].nonResourceURLs: Invalid value: []string{\"/healthz\"}: rules cannot apply to both regular resources and non-resource URLs" },
        { "kind: RoleBinding\nmetadata: {name: b}\nroleRef: {kind: Role}", "RoleBinding.rbac.authorization.k8s.io \"b\" is invalid: roleRef.name: Required value" },
        { "kind: RoleBinding\nmetadata: {name: b}\nroleRef: {kind: Secret, name: r}", "RoleBinding.rbac.authorization.k8s.io \"b\" is invalid: roleRef.kind: Unsupported value: \"Secret\": supported values: \"Role\", \"ClusterRole\"" },
        { "kind: ClusterRoleBinding\nmetadata: {name: b}\nroleRef: {kind: Role, name: r}", "ClusterRoleBinding.rbac.authorization.k8s.io \"b\" is invalid: roleRef.kind: Unsupported value: \"Role\": supported values: \"ClusterRole\"" },
        { "kind: RoleBinding\nmetadata: {name: b}\nroleRef: {apiGroup: example.com, kind: Role, name: r}", "RoleBinding.rbac.authorization.k8s.io \"b\" is invalid: roleRef.apiGroup: Unsupported value: \"example.com\": supported values: \"rbac.authorization.k8s.io\"" },
        { "kind: RoleBinding\nmetadata: {name: b}\nroleRef: {kind: Role, name: a/b}", "RoleBinding.rbac.authorization.k8s.io \"b\" is invalid: roleRef.name: Invalid value: \"a/b\": may not contain '/'" },
        { Binding + "subjects: [{kind: Robot, name: x}]", "RoleBinding.rbac.authorization.k8s.io \"b\" is invalid: subjects[0].kind: Unsupported value: \"Robot\": supported values: \"ServiceAccount\", \"User\", \"Group\"" },
        { Binding + "subjects: [{kind: User}]", "RoleBinding.rbac.authorization.k8s.io \"b\" is invalid: [subjects[0].name: Required value, subjects[0].name: Invalid value: \"\": user name cannot be empty]" },
        { Binding + "subjects: [{kind: ServiceAccount, name: Builder}]", "RoleBinding.rbac.authorization.k8s.io \"b\" is invalid: subjects[0].name: Invalid value: \"Builder\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')" },
        { Binding + "subjects: [{kind: ServiceAccount, name: sa, apiGroup: rbac.authorization.k8s.io}]", "RoleBinding.rbac.authorization.k8s.io \"b\" is invalid: subjects[0].apiGroup: Unsupported value: \"rbac.authorization.k8s.io\": supported values: \"\"" },
        { "kind: ClusterRoleBinding\nmetadata: {name: b}\nroleRef: {kind: ClusterRole, name: r}\nsubjects: [{kind: ServiceAccount, name: sa}]", "ClusterRoleBinding.rbac.authorization.k8s.io \"b\" is invalid: subjects[0].namespace: Required value" },
    };

    [Theory]
    [MemberData(nameof(InvalidSlices))]
    public void Validate_InvalidEndpointSlice_AnswersUpstreamMessage(string yaml, string expected) =>
        Assert.Equal(expected, ValidationSteps.CreateMessage(Discovery, yaml));

    [Theory]
    [MemberData(nameof(InvalidRbac))]
    public void Validate_InvalidRbacObject_AnswersUpstreamMessage(string yaml, string expected) =>
        Assert.Equal(expected, ValidationSteps.CreateMessage(Rbac, yaml));

    [Theory]
    [InlineData(Discovery, Slice + "addressType: IPv4\nendpoints: [{addresses: [10.42.0.5], conditions: {ready: true}}]\nports: [{name: http, port: 80}]")]
    [InlineData(Discovery, Slice + "addressType: FQDN\nendpoints: [{addresses: [db.example.com.]}]")]
    [InlineData(Rbac, "kind: ClusterRole\nmetadata: {name: 'system:aggregate-to-view'}\nrules: [{verbs: [get], nonResourceURLs: ['/healthz']}, {verbs: ['*'], apiGroups: ['*'], resources: ['*']}]")]
    [InlineData(Rbac, Binding + "subjects: [{kind: User, name: alice}, {kind: Group, name: 'system:authenticated'}, {kind: ServiceAccount, name: default}]")]
    public void Validate_ValidObject_IsAccepted(string group, string yaml) => Assert.Null(ValidationSteps.CreateMessage(group, yaml));

    [Theory]
    [InlineData("Role", "system:controller:x", new string[0])]
    [InlineData("ClusterRoleBinding", "..", new[] { "may not be '..'" })]
    [InlineData("RoleBinding", "a%b/c", new[] { "may not contain '/'", "may not contain '%'" })]
    public void NameValidation_RbacKinds_NeedOnlyAPathSegment(string kind, string name, string[] expected) =>
        Assert.Equal(expected, StoreSteps.For(Rbac, kind).NameValidation(name, false));

    [Fact]
    public void ValidateUpdate_ChangedRoleRef_CannotChange() =>
        Assert.Equal(
            "RoleBinding.rbac.authorization.k8s.io \"b\" is invalid: roleRef: Invalid value: rbac.RoleRef{APIGroup:\"rbac.authorization.k8s.io\", Kind:\"ClusterRole\", Name:\"r\"}: cannot change roleRef",
            ValidationSteps.UpdateMessage(Rbac, Binding, b => b["roleRef"]!["kind"] = "ClusterRole"));

    [Fact]
    public void ValidateUpdate_SameRoleRefNewSubjects_IsAllowed() =>
        Assert.Null(ValidationSteps.UpdateMessage(Rbac, Binding, b => b["subjects"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject { ["kind"] = "User", ["name"] = "bob" })));

    [Fact]
    public void ValidateUpdate_EndpointSliceAddressType_IsImmutable() =>
        Assert.Equal(
            "EndpointSlice.discovery.k8s.io \"s\" is invalid: addressType: Invalid value: \"IPv6\": field is immutable",
            ValidationSteps.UpdateMessage(Discovery, Slice + "addressType: IPv4", s => s["addressType"] = "IPv6"));
}
