namespace Timonel.Testing.Images;

/// <summary>One image of the test image kit (tests/images): the tarball build.sh writes and the name it carries.</summary>
public sealed record KitImage(string FileName, string Name)
{
    public static IReadOnlyList<KitImage> All { get; } =
    [
        new("pause-3.10.tar", "registry.k8s.io/pause:3.10"),
        new("busybox-latest.tar", "docker.io/library/busybox:latest"),
        new("nginx-alpine.tar", "docker.io/library/nginx:alpine"),
        new("hello-app-1.0.tar", "gcr.io/google-samples/hello-app:1.0"),
        new("hello-app-2.0.tar", "gcr.io/google-samples/hello-app:2.0"),
        new("python-kubernetes-1.tar", "timonel.test/python-kubernetes:1"),
    ];

    public string Tag => Name[(Name.LastIndexOf(':') + 1)..];

    public static KitImage Named(string name) => All.Single(image => image.Name == name);

    public override string ToString() => Name;
}
