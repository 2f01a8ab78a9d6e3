using System.Text.Json.Nodes;
using Timonel.ApiServer.Admission.PodSecurity;

namespace Timonel.ApiServer.Tests.Admission.PodSecurity;

/// <summary>Each check of the standards, passing and failing, with upstream's reasons and details.</summary>
public sealed class PodSecurityChecksTests
{
    // A pod that passes restricted: the baseline of every case below.
    private const string RestrictedContainer = """
        {"name":"app","image":"nginx","securityContext":{"allowPrivilegeEscalation":false,"runAsNonRoot":true,
         "seccompProfile":{"type":"RuntimeDefault"},"capabilities":{"drop":["ALL"]}}}
        """;

    private static readonly LevelVersion _baseline = new(PodSecurityLevel.Baseline, PolicyVersion.Latest);
    private static readonly LevelVersion _restricted = new(PodSecurityLevel.Restricted, PolicyVersion.Latest);

    [Fact]
    public void Evaluate_RestrictedPod_PassesEveryLevel()
    {
        var pod = Pod($$$"""{"spec":{"containers":[{{{RestrictedContainer}}}],"volumes":[{"name":"c","configMap":{"name":"x"}}]}}""");

        Assert.Null(Describe(_restricted, pod));
        Assert.Null(Describe(_baseline, pod));
    }

    [Fact]
    public void Evaluate_PlainNginxAtRestricted_UpstreamsFourFailuresInOrder()
    {
        var pod = Pod("""{"spec":{"containers":[{"name":"nginx","image":"nginx:1.14.2"}]}}""");

        Assert.Equal(
            "allowPrivilegeEscalation != false (container \"nginx\" must set securityContext.allowPrivilegeEscalation=false), "
            + "unrestricted capabilities (container \"nginx\" must set securityContext.capabilities.drop=[\"ALL\"]), "
            + "runAsNonRoot != true (pod or container \"nginx\" must set securityContext.runAsNonRoot=true), "
            + "seccompProfile (pod or container \"nginx\" must set securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\")",
            Describe(_restricted, pod));
        Assert.Null(Describe(_baseline, pod));
    }

    [Fact]
    public void Evaluate_Privileged_AllowsEverything()
    {
        var pod = Pod("""{"spec":{"hostNetwork":true,"containers":[{"name":"a","securityContext":{"privileged":true}}]}}""");

        Assert.Null(Describe(LevelVersion.PrivilegedLatest, pod));
    }

    [Theory]
    [InlineData("""{"hostNetwork":true,"hostPID":true,"hostIPC":false}""", "host namespaces (hostNetwork=true, hostPID=true)")]
    [InlineData("""{"hostIPC":true}""", "host namespaces (hostIPC=true)")]
    public void HostNamespaces_Set_Refused(string spec, string expected) =>
        Assert.Equal(expected, Describe(_baseline, Pod(spec, "[]")));

    [Fact]
    public void Privileged_TwoContainers_PluralDetail()
    {
        var pod = Pod("{}", """[{"name":"a","securityContext":{"privileged":true}},{"name":"b","securityContext":{"privileged":true}},{"name":"c","securityContext":{"privileged":false}}]""");

        Assert.Equal("privileged (containers \"a\", \"b\" must not set securityContext.privileged=true)", Describe(_baseline, pod));
    }

    [Fact]
    public void CapabilitiesBaseline_DefaultAdded_Passes_OthersRefused()
    {
        Assert.Null(Describe(_baseline, Pod("{}", """[{"name":"a","securityContext":{"capabilities":{"add":["CHOWN","NET_BIND_SERVICE","KILL"]}}}]""")));
        Assert.Equal(
            "non-default capabilities (container \"a\" must not include \"NET_ADMIN\", \"SYS_TIME\" in securityContext.capabilities.add)",
            Describe(_baseline, Pod("{}", """[{"name":"a","securityContext":{"capabilities":{"add":["SYS_TIME","NET_ADMIN","CHOWN"]}}}]""")));
    }

    [Fact]
    public void HostPathVolumes_Refused_AtBaseline()
    {
        var pod = Pod("""{"volumes":[{"name":"h","hostPath":{"path":"/"}},{"name":"e","emptyDir":{}}]}""", "[]");

        Assert.Equal("hostPath volumes (volume \"h\")", Describe(_baseline, pod));
    }

    [Fact]
    public void HostPorts_Refused()
    {
        Assert.Null(Describe(_baseline, Pod("{}", """[{"name":"a","ports":[{"containerPort":80}]}]""")));
        Assert.Equal(
            "hostPort (containers \"a\", \"b\" use hostPorts 443, 80)",
            Describe(_baseline, Pod("{}", """[{"name":"a","ports":[{"containerPort":80,"hostPort":80}]},{"name":"b","ports":[{"containerPort":443,"hostPort":443}]}]""")));
        Assert.Equal("hostPort (container \"a\" uses hostPort 8080)", Describe(_baseline, Pod("{}", """[{"name":"a","ports":[{"containerPort":80,"hostPort":8080}]}]""")));
    }

    [Fact]
    public void AppArmor_FieldsAndAnnotations()
    {
        Assert.Null(Describe(_baseline, Pod("""{"securityContext":{"appArmorProfile":{"type":"RuntimeDefault"}}}""", "[]")));
        Assert.Equal(
            "forbidden AppArmor profile (pod must not set AppArmor profile type to \"Unconfined\")",
            Describe(_baseline, Pod("""{"securityContext":{"appArmorProfile":{"type":"Unconfined"}}}""", "[]")));
        Assert.Equal(
            "forbidden AppArmor profile (container \"foo\" must not set AppArmor profile type to \"Unconfined\")",
            Describe(_baseline, Pod("{}", """[{"name":"foo","securityContext":{"appArmorProfile":{"type":"Unconfined"}}}]""")));
        var annotated = Pod("""{"metadata":{"annotations":{"container.apparmor.security.beta.kubernetes.io/b":"runtime/default","container.apparmor.security.beta.kubernetes.io/d":"localhost/foo","container.apparmor.security.beta.kubernetes.io/e":"unconfined"}},"spec":{"containers":[]}}""");
        Assert.Equal(
            "forbidden AppArmor profile (annotation must not set AppArmor profile type to \"container.apparmor.security.beta.kubernetes.io/e=\\\"unconfined\\\"\")",
            Describe(_baseline, annotated));
    }

    [Fact]
    public void SeLinuxOptions_TypeUserRole()
    {
        Assert.Null(Describe(_baseline, Pod("""{"securityContext":{"seLinuxOptions":{"type":"container_t","level":"s0:c1"}}}""", "[]")));
        Assert.Equal(
            "seLinuxOptions (pod and container \"a\" set forbidden securityContext.seLinuxOptions: type \"spc_t\"; user may not be set; role may not be set)",
            Describe(_baseline, Pod("""{"securityContext":{"seLinuxOptions":{"type":"spc_t"}}}""", """[{"name":"a","securityContext":{"seLinuxOptions":{"user":"u","role":"r"}}}]""")));
    }

    [Fact]
    public void ProcMount_Unmasked_Refused()
    {
        Assert.Null(Describe(_baseline, Pod("{}", """[{"name":"a","securityContext":{"procMount":"Default"}}]""")));
        Assert.Equal(
            "procMount (container \"a\" must not set securityContext.procMount to \"Unmasked\")",
            Describe(_baseline, Pod("{}", """[{"name":"a","securityContext":{"procMount":"Unmasked"}}]""")));
    }

    [Fact]
    public void SeccompBaseline_Unconfined_Refused_UnsetAllowed()
    {
        Assert.Null(Describe(_baseline, Pod("{}", """[{"name":"a"}]""")));
        Assert.Equal(
            "seccompProfile (pod and container \"a\" must not set securityContext.seccompProfile.type to \"Unconfined\")",
            Describe(_baseline, Pod("""{"securityContext":{"seccompProfile":{"type":"Unconfined"}}}""", """[{"name":"a","securityContext":{"seccompProfile":{"type":"Unconfined"}}}]""")));
    }

    [Fact]
    public void Sysctls_SafeSetByVersion()
    {
        var pod = Pod("""{"securityContext":{"sysctls":[{"name":"net.ipv4.tcp_keepalive_time","value":"1"},{"name":"kernel.msgmax","value":"1"},{"name":"kernel.shm_rmid_forced","value":"1"}]}}""", "[]");

        Assert.Equal("forbidden sysctls (kernel.msgmax)", Describe(_baseline, pod));
        Assert.Equal("forbidden sysctls (net.ipv4.tcp_keepalive_time, kernel.msgmax)", Describe(new(PodSecurityLevel.Baseline, new PolicyVersion(28, false)), pod));
    }

    [Fact]
    public void WindowsHostProcess_Refused()
    {
        Assert.Equal(
            "hostProcess (pod and container \"a\" must not set securityContext.windowsOptions.hostProcess=true)",
            Describe(_baseline, Pod("""{"securityContext":{"windowsOptions":{"hostProcess":true}}}""", """[{"name":"a","securityContext":{"windowsOptions":{"hostProcess":true}}}]""")));
    }

    [Fact]
    public void RestrictedVolumes_ReplaceHostPathCheck()
    {
        var pod = Pod("""{"volumes":[{"name":"h","hostPath":{"path":"/"}},{"name":"n","nfs":{"server":"s","path":"/"}},{"name":"s","secret":{"secretName":"x"}}]}""", $"[{RestrictedContainer}]");

        Assert.Equal("restricted volume types (volumes \"h\", \"n\" use restricted volume types \"hostPath\", \"nfs\")", Describe(_restricted, pod));
    }

    [Fact]
    public void RunAsNonRoot_ExplicitFalse_Refused_PodLevelTrue_Passes()
    {
        var explicitFalse = Pod("""{"securityContext":{"runAsNonRoot":false,"seccompProfile":{"type":"RuntimeDefault"}}}""", """[{"name":"a","securityContext":{"allowPrivilegeEscalation":false,"capabilities":{"drop":["ALL"]}}}]""");
        Assert.Equal("runAsNonRoot != true (pod must not set securityContext.runAsNonRoot=false)", Describe(_restricted, explicitFalse));

        var podTrue = Pod("""{"securityContext":{"runAsNonRoot":true,"seccompProfile":{"type":"RuntimeDefault"}}}""", """[{"name":"a","securityContext":{"allowPrivilegeEscalation":false,"capabilities":{"drop":["ALL"]}}}]""");
        Assert.Null(Describe(_restricted, podTrue));
    }

    [Fact]
    public void RunAsUser_Zero_Refused_FromV123()
    {
        var pod = Pod("""{"securityContext":{"runAsUser":0}}""", $"[{RestrictedContainer}]");

        Assert.Equal("runAsUser=0 (pod must not set runAsUser=0)", Describe(_restricted, pod));
        Assert.Null(Describe(new(PodSecurityLevel.Restricted, new PolicyVersion(22, false)), pod));
    }

    [Fact]
    public void SeccompRestricted_Unconfined_Explicit()
    {
        var pod = Pod("{}", """[{"name":"a","securityContext":{"allowPrivilegeEscalation":false,"runAsNonRoot":true,"capabilities":{"drop":["ALL"]},"seccompProfile":{"type":"Unconfined"}}}]""");

        Assert.Equal("seccompProfile (container \"a\" must not set securityContext.seccompProfile.type to \"Unconfined\")", Describe(_restricted, pod));
    }

    [Fact]
    public void CapabilitiesRestricted_AddOnlyNetBindService()
    {
        Assert.Null(Describe(_restricted, Pod("{}", """[{"name":"a","securityContext":{"allowPrivilegeEscalation":false,"runAsNonRoot":true,"seccompProfile":{"type":"RuntimeDefault"},"capabilities":{"drop":["ALL"],"add":["NET_BIND_SERVICE"]}}}]""")));
        Assert.Equal(
            "unrestricted capabilities (container \"a\" must not include \"CHOWN\" in securityContext.capabilities.add)",
            Describe(_restricted, Pod("{}", """[{"name":"a","securityContext":{"allowPrivilegeEscalation":false,"runAsNonRoot":true,"seccompProfile":{"type":"RuntimeDefault"},"capabilities":{"drop":["ALL"],"add":["CHOWN"]}}}]""")));
    }

    [Fact]
    public void RestrictedLinuxRules_WindowsPodFromV125_Exempt()
    {
        var pod = Pod("""{"os":{"name":"windows"},"securityContext":{"runAsNonRoot":true}}""", """[{"name":"a"}]""");

        Assert.Null(Describe(_restricted, pod));
        Assert.StartsWith("allowPrivilegeEscalation != false", Describe(new(PodSecurityLevel.Restricted, new PolicyVersion(24, false)), pod));
    }

    [Fact]
    public void Containers_InitAndEphemeral_Checked()
    {
        var pod = Pod("""{"initContainers":[{"name":"init","securityContext":{"privileged":true}}],"ephemeralContainers":[{"name":"debug","securityContext":{"privileged":true}}]}""", "[]");

        Assert.Equal("privileged (containers \"init\", \"debug\" must not set securityContext.privileged=true)", Describe(_baseline, pod));
    }

    [Theory]
    [InlineData("latest", "latest", null)]
    [InlineData("v1.25", "v1.25", null)]
    [InlineData("v1.0", "v1.0", null)]
    [InlineData("v1.025", "latest", "must be \"latest\" or \"v1.x\"")]
    [InlineData("1.25", "latest", "must be \"latest\" or \"v1.x\"")]
    public void PolicyVersion_Parse_AsUpstream(string text, string expected, string? error)
    {
        var version = PolicyVersion.Parse(text, out var parseError);

        Assert.Equal(expected, version.ToString());
        Assert.Equal(error, parseError);
    }

    private static string? Describe(LevelVersion policy, JsonObject pod) =>
        PodSecurityChecks.Describe(PodSecurityChecks.Evaluate(policy, new PodSecurityPod(pod["metadata"] as JsonObject, pod["spec"] as JsonObject)));

    private static JsonObject Pod(string json) => JsonNode.Parse(json)!.AsObject();

    private static JsonObject Pod(string spec, string containers)
    {
        var specObject = JsonNode.Parse(spec)!.AsObject();
        if (!specObject.ContainsKey("containers"))
        {
            specObject["containers"] = JsonNode.Parse(containers);
        }

        return new JsonObject { ["spec"] = specObject };
    }
}
