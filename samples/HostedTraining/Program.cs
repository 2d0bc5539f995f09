// HostedTraining: the generic host composes RL3 from appsettings.json with AddRL3(); every options type is validated when the
// host starts (ValidateOnStart), so a bad setting stops the program before any training.
//
//   dotnet run --project samples/HostedTraining -c Release
//   dotnet run --project samples/HostedTraining -c Release -- --RL3:Ppo:Iterations=10
//   dotnet run --project samples/HostedTraining -c Release -- --RL3:Ppo:LearningRate=-1      (fails at start, naming the field)
using HostedTraining;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using RL3.Core.DependencyInjection;

var builder = Host.CreateApplicationBuilder(args);
builder.Services
    .AddRL3()
    .BindConfiguration(builder.Configuration.GetSection(RL3Options.SectionName));
builder.Services.AddHostedService<TrainingWorker>();

using var host = builder.Build();
try
{
    await host.RunAsync();
}
catch (OptionsValidationException ex)
{
    Console.Error.WriteLine($"Invalid RL3 settings:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", ex.Failures)}");
    return 2;
}

return Environment.ExitCode;
