using k8s.Models;
using Timonel.Agent.Kubelet.Containers;
using Timonel.Agent.Kubelet.Cri.V1;

namespace Timonel.Agent.Tests.Kubelet.Containers;

public class ContainerSecurityTests
{
    [Fact]
    public void For_ContainerAndPodSettings_ContainerWins()
    {
        var container = ConfigTestPods.Container();
        container.SecurityContext = new V1SecurityContext
        {
            RunAsUser = 1000,
            ReadOnlyRootFilesystem = true,
            AllowPrivilegeEscalation = false,
            Capabilities = new V1Capabilities { Add = ["NET_ADMIN"], Drop = ["ALL"] },
        };
        var pod = ConfigTestPods.Pod(container);
        pod.Spec.SecurityContext = new V1PodSecurityContext { RunAsUser = 2000, RunAsGroup = 3000, FsGroup = 4000, SupplementalGroups = [5000, 5001] };

        var security = For(pod, container);

        Assert.Equal(1000, security.RunAsUser.Value);
        Assert.Equal(3000, security.RunAsGroup.Value);
        Assert.True(security.ReadonlyRootfs);
        Assert.True(security.NoNewPrivs);
        Assert.False(security.Privileged);
        Assert.Equal(["NET_ADMIN"], security.Capabilities.AddCapabilities);
        Assert.Equal(["ALL"], security.Capabilities.DropCapabilities);
        Assert.Equal([4000L, 5000, 5001], security.SupplementalGroups);
        Assert.Equal(ProcPaths.DefaultMasked, security.MaskedPaths);
        Assert.Equal(ProcPaths.DefaultReadonly, security.ReadonlyPaths);
    }

    [Fact]
    public void For_NoUser_ImageUser()
    {
        var container = ConfigTestPods.Container();

        Assert.Equal(101, For(ConfigTestPods.Pod(container), container, new ImageUser(101, "")).RunAsUser.Value);
        Assert.Equal("nginx", For(ConfigTestPods.Pod(container), container, new ImageUser(null, "nginx")).RunAsUsername);
    }

    [Fact]
    public void For_NoAllowPrivilegeEscalation_NoNewPrivsOff()
    {
        var container = ConfigTestPods.Container();

        Assert.False(For(ConfigTestPods.Pod(container), container).NoNewPrivs);
    }

    [Theory]
    [InlineData(true, null)]
    [InlineData(false, "Unmasked")]
    public void For_PrivilegedOrUnmasked_NoMaskedPaths(bool privileged, string? procMount)
    {
        var container = ConfigTestPods.Container();
        container.SecurityContext = new V1SecurityContext { Privileged = privileged, ProcMount = procMount };

        var security = For(ConfigTestPods.Pod(container), container);

        Assert.Equal(privileged, security.Privileged);
        Assert.Empty(security.MaskedPaths);
        Assert.Empty(security.ReadonlyPaths);
    }

    [Theory]
    [InlineData(null, null, SecurityProfile.Types.ProfileType.Unconfined, "")]
    [InlineData("RuntimeDefault", null, SecurityProfile.Types.ProfileType.RuntimeDefault, "")]
    [InlineData("Unconfined", null, SecurityProfile.Types.ProfileType.Unconfined, "")]
    [InlineData("Localhost", "audit.json", SecurityProfile.Types.ProfileType.Localhost, "/var/lib/kubelet/seccomp/audit.json")]
    public void For_SeccompProfile_RuntimeProfile(string? type, string? localhost, SecurityProfile.Types.ProfileType expected, string reference)
    {
        var container = ConfigTestPods.Container();
        var pod = ConfigTestPods.Pod(container);
        pod.Spec.SecurityContext = new V1PodSecurityContext { SeccompProfile = type is null ? null : new V1SeccompProfile { Type = type, LocalhostProfile = localhost } };

        var seccomp = For(pod, container).Seccomp;

        Assert.Equal(expected, seccomp.ProfileType);
        Assert.Equal(reference, seccomp.LocalhostRef);
    }

    [Fact]
    public void For_HostNamespaces_NodeModes()
    {
        var container = ConfigTestPods.Container();
        var pod = ConfigTestPods.Pod(container);
        Assert.Equal(new NamespaceOption { Network = NamespaceMode.Pod, Pid = NamespaceMode.Container, Ipc = NamespaceMode.Pod }, For(pod, container).NamespaceOptions);

        pod.Spec.HostNetwork = pod.Spec.HostPID = pod.Spec.HostIPC = true;
        Assert.Equal(new NamespaceOption { Network = NamespaceMode.Node, Pid = NamespaceMode.Node, Ipc = NamespaceMode.Node }, For(pod, container).NamespaceOptions);

        pod.Spec.HostPID = false;
        pod.Spec.ShareProcessNamespace = true;
        Assert.Equal(NamespaceMode.Pod, For(pod, container).NamespaceOptions.Pid);
    }

    [Fact]
    public void Verify_RunAsUserZero_Throws()
    {
        var container = ConfigTestPods.Container();
        container.SecurityContext = new V1SecurityContext { RunAsNonRoot = true, RunAsUser = 0 };
        var pod = ConfigTestPods.Pod(container);

        var error = Assert.Throws<ContainerConfigException>(() => RunAsNonRoot.Verify(pod, container, EffectiveSecurityContext.For(pod, container), ImageUser.Unknown));

        Assert.Equal("container's runAsUser breaks non-root policy (pod: \"web_shop(1f0c2b8e-uid)\", container: app)", error.Message);
    }

    [Fact]
    public void Verify_ImageUidZero_Throws()
    {
        var container = ConfigTestPods.Container();
        var pod = ConfigTestPods.Pod(container);
        pod.Spec.SecurityContext = new V1PodSecurityContext { RunAsNonRoot = true };

        var error = Assert.Throws<ContainerConfigException>(() => RunAsNonRoot.Verify(pod, container, EffectiveSecurityContext.For(pod, container), new ImageUser(0, "")));

        Assert.StartsWith("container has runAsNonRoot and image will run as root", error.Message);
    }

    [Fact]
    public void Verify_ImageUserName_Throws()
    {
        var container = ConfigTestPods.Container();
        container.SecurityContext = new V1SecurityContext { RunAsNonRoot = true };
        var pod = ConfigTestPods.Pod(container);

        var error = Assert.Throws<ContainerConfigException>(() => RunAsNonRoot.Verify(pod, container, EffectiveSecurityContext.For(pod, container), new ImageUser(null, "nginx")));

        Assert.StartsWith("container has runAsNonRoot and image has non-numeric user (nginx)", error.Message);
    }

    [Theory]
    [InlineData(1000L, 0L)]
    [InlineData(null, 101L)]
    public void Verify_NonRootUser_Passes(long? runAsUser, long imageUid)
    {
        var container = ConfigTestPods.Container();
        container.SecurityContext = new V1SecurityContext { RunAsNonRoot = true, RunAsUser = runAsUser };
        var pod = ConfigTestPods.Pod(container);

        Assert.Null(Record.Exception(() => RunAsNonRoot.Verify(pod, container, EffectiveSecurityContext.For(pod, container), new ImageUser(imageUid, ""))));
    }

    private static LinuxContainerSecurityContext For(V1Pod pod, V1Container container, ImageUser? imageUser = null) =>
        ContainerSecurity.For(pod, EffectiveSecurityContext.For(pod, container), imageUser ?? ImageUser.Unknown, "/var/lib/kubelet/seccomp");
}
