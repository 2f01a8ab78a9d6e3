using k8s.Models;

namespace Timonel.Controllers.Tests;

internal static class TestObjects
{
    public static V1Namespace NamespaceObject(string name, string phase = "Active") => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Status = new V1NamespaceStatus { Phase = phase },
    };
}
