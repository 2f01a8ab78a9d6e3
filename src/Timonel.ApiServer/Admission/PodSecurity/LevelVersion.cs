namespace Timonel.ApiServer.Admission.PodSecurity;

/// <summary>A level at a version, written as upstream writes it in messages: "restricted:latest".</summary>
public readonly record struct LevelVersion(PodSecurityLevel Level, PolicyVersion Version)
{
    public static LevelVersion PrivilegedLatest { get; } = new(PodSecurityLevel.Privileged, PolicyVersion.Latest);

    public override string ToString() => $"{PodSecurityLevels.Name(Level)}:{Version}";
}
