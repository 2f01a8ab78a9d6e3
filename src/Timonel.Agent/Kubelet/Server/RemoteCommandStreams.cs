namespace Timonel.Agent.Kubelet.Server;

/// <summary>Which of a remote command's streams a client asked for (the input, output, error and tty parameters).</summary>
public sealed record RemoteCommandStreams(bool Stdin, bool Stdout, bool Stderr, bool Tty);
