namespace Timonel.Agent.Kubelet.Volumes;

/// <summary>One file of a ConfigMap, Secret, downwardAPI or projected volume: its contents and permission bits.</summary>
internal sealed record FileProjection(byte[] Data, UnixFileMode Mode);
