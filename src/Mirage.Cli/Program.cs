using Mirage.Cli;

return MirageCli.Run(args);
