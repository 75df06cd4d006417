; Inno Setup script: dist\bundle\ashreports\ (built by PyInstaller on Windows) →
; dist\AshReports-VERSION-windows-setup.exe. Compile: iscc /DAppVersion=0.1.0 packaging\windows\ashreports.iss
; (CI: .github/workflows/package.yml). Per-user or all-users install, Start-menu entry,
; .ashr opens in the designer.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "AshReports"
#define AppExe "ashr-designer.exe"
#define ProgId "AshReports.Report"

[Setup]
AppId={{6F1B2C8E-3D4A-4E5B-9C7D-2A1B3C4D5E6F}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher=The AshReports developers
AppPublisherURL=https://github.com/ashreports/ashreports
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
PrivilegesRequiredOverridesAllowed=dialog
ChangesAssociations=yes
LicenseFile=..\..\LICENSE
OutputDir=..\..\dist
OutputBaseFilename=AshReports-{#AppVersion}-windows-setup
SetupIconFile=..\..\build\icons\ashreports.ico
UninstallDisplayIcon={app}\{#AppExe}
Compression=lzma2
SolidCompression=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
WizardStyle=modern

[Files]
Source: "..\..\dist\bundle\ashreports\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs
Source: "..\..\LICENSE"; DestDir: "{app}"; Flags: ignoreversion
Source: "..\..\THIRD_PARTY_NOTICES.md"; DestDir: "{app}"; Flags: ignoreversion

[Icons]
Name: "{group}\AshReports Designer"; Filename: "{app}\{#AppExe}"
Name: "{group}\Example reports"; Filename: "{app}\_internal\resources\examples"
Name: "{group}\Third-party notices"; Filename: "{app}\THIRD_PARTY_NOTICES.md"
Name: "{group}\Uninstall AshReports"; Filename: "{uninstallexe}"

[Registry]
; .ashr → AshReports.Report → "ashr-designer.exe" "%1" (HKA: per-user or machine, as installed)
Root: HKA; Subkey: "Software\Classes\.ashr"; ValueType: string; ValueName: ""; ValueData: "{#ProgId}"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.ashr"; ValueType: string; ValueName: "Content Type"; ValueData: "application/x-ashr+json"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.ashr\OpenWithProgids"; ValueType: string; ValueName: "{#ProgId}"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\{#ProgId}"; ValueType: string; ValueName: ""; ValueData: "AshReports Report"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\{#ProgId}\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\{#AppExe},0"
Root: HKA; Subkey: "Software\Classes\{#ProgId}\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"" ""%1"""
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}\SupportedTypes"; ValueType: string; ValueName: ".ashr"; ValueData: ""

[Run]
Filename: "{app}\{#AppExe}"; Description: "Start AshReports Designer"; Flags: nowait postinstall skipifsilent
