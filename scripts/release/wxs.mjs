// The WiX source of uvx-safe-<version>-x64.msi (compiled by wixl, scripts/release/msi.mjs), and the
// table rows wixl 0.101 cannot express (it rejects <Environment>), added to the built MSI with msibuild.
//
// What the package does (docs/deploy.md has the admin's view):
// - installs uvx-safe.exe into %ProgramFiles%\uvx-safe\;
// - runs `uvx-safe.exe safe shims install --dir "%ProgramFiles%\uvx-safe\bin"` (a deferred custom
//   action as SYSTEM): uv.exe and uvx.exe are hard links to uvx-safe.exe, not two more 110 MB copies
//   in the cabinet and on disk. Uninstall deletes them through the RemoveFile table, not through
//   `safe shims uninstall`: a running uvx-safe.exe cannot delete its own hard links on Windows (it
//   would rename them aside), and the RemoveFiles action runs when no uvx-safe runs, or asks for a
//   reboot (3010) when a developer's uv still does;
// - puts that bin\ first on the machine Path (the Environment table), removed on uninstall;
// - POLICY=<path>: copies that file to %ProgramData%\uvx-safe\config.toml (the install fails, and
//   is rolled back, when it cannot be copied: an admin who names a policy gets it or nothing);
//   %ProgramData%\uvx-safe always gets the admin guide's ACL (owner Administrators; Administrators and
//   SYSTEM full control, Users read): a folder users can write to would let them write the policy;
// - uninstall leaves the policy file unless REMOVEPOLICY=1, and removes the folder when empty;
// - MajorUpgrade: a newer MSI removes the older one inside its own transaction, before installing
//   (one entry in installed programs, new bytes in every shim; a failed upgrade rolls back to the
//   old version); an older one refuses to install over a newer one.

/** Never change: it is what makes every version of the MSI an upgrade of the others. */
export const UPGRADE_CODE = '8D6F2A6E-3C1B-4F7E-9A51-6C0E2B7D4F13';

const xml = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const INSTALLING = 'NOT REMOVE~="ALL"';
const UNINSTALLING_FOR_GOOD = 'REMOVE~="ALL" AND NOT UPGRADINGPRODUCTCODE';

/** Custom actions that run uvx-safe.exe itself (wixl writes them): deferred, as SYSTEM. */
const EXE_ACTIONS = [
  { id: 'ShimsInstall', args: 'safe shims install --dir "[INSTALLDIR]bin"', execute: 'deferred', when: INSTALLING, sequence: 4002, ret: 'check' },
];

// Custom action types (CustomAction.Type): 51 sets a property; 34 runs an exe with a working folder;
// +1024 deferred, +2048 not impersonated (SYSTEM), +64 exit status ignored.
const SET_PROPERTY = 51;
const RUN_CHECKED = 34 + 1024 + 2048;
const RUN_IGNORED = RUN_CHECKED + 64;
const RUN_ROLLBACK = 34 + 1280 + 2048 + 64;
const SYSTEM_EXE = (name) => `"[System64Folder]${name}"`;

/**
 * The actions wixl cannot write (a Directory+ExeCommand action, a property set from a formatted
 * value); msibuild adds them. POLICYFOLDER is the policy folder without the trailing backslash that
 * [POLICYDIR] has (which would escape the closing quote of an argument). The folder itself is the
 * PolicyFolder component's CreateFolder: MSI makes it and removes it on uninstall when it is empty.
 * The ACL is the admin guide's (docs/admin-guide.md, "Deploy the file"), by well-known SIDs.
 */
export const COMMAND_ACTIONS = [
  // Should a later action fail, the rollback deletes the shims before it deletes uvx-safe.exe.
  { id: 'ShimsRollback', type: RUN_ROLLBACK, target: `${SYSTEM_EXE('cmd.exe')} /d /c del /f /q "[INSTALLDIR]bin\\uv.exe" "[INSTALLDIR]bin\\uvx.exe"`, when: INSTALLING, sequence: 4001 },
  { id: 'SetPolicyFolder', type: SET_PROPERTY, source: 'POLICYFOLDER', target: '[CommonAppDataFolder]uvx-safe', when: '', sequence: 1010 },
  {
    id: 'PolicyFolderOwner',
    type: RUN_CHECKED,
    target: `${SYSTEM_EXE('icacls.exe')} "[POLICYFOLDER]" /setowner *S-1-5-32-544 /T /Q`,
    when: INSTALLING,
    sequence: 3710,
  },
  {
    id: 'PolicyFolderAcl',
    type: RUN_CHECKED,
    target: `${SYSTEM_EXE('icacls.exe')} "[POLICYFOLDER]" /inheritance:r /grant:r *S-1-5-18:(OI)(CI)F *S-1-5-32-544:(OI)(CI)F *S-1-5-32-545:(OI)(CI)RX /T /Q`,
    when: INSTALLING,
    sequence: 3711,
  },
  { id: 'PolicyCopy', type: RUN_CHECKED, target: `${SYSTEM_EXE('cmd.exe')} /d /c copy /y "[POLICY]" "[POLICYFOLDER]\\config.toml"`, when: `POLICY AND ${INSTALLING}`, sequence: 4010 },
  { id: 'PolicyRemove', type: RUN_IGNORED, target: `${SYSTEM_EXE('cmd.exe')} /d /c del /f /q "[POLICYFOLDER]\\config.toml"`, when: `REMOVEPOLICY AND ${UNINSTALLING_FOR_GOOD}`, sequence: 3510 },
].map((a) => ({ source: 'INSTALLDIR', ...a }));

/** The .wxs for `version` (an MSI version, see version.mjs) installing `exe`. */
export function renderWxs({ pkg, version, exe }) {
  const actionXml = EXE_ACTIONS.map(
    (a) => `    <CustomAction Id="${a.id}" FileKey="UvxSafeExe" ExeCommand="${xml(a.args)}" Execute="${a.execute}" Impersonate="no" Return="${a.ret}"/>`,
  );
  const sequenceXml = EXE_ACTIONS.map((a) => `      <Custom Action="${a.id}" Sequence="${a.sequence}">${xml(a.when)}</Custom>`);
  return `<?xml version="1.0" encoding="utf-8"?>
<Wix xmlns="http://schemas.microsoft.com/wix/2006/wi">
  <Product Id="*" Name="${xml(pkg.name)}" Manufacturer="${xml(pkg.author)}" Version="${version}" UpgradeCode="${UPGRADE_CODE}" Language="1033">
    <Package InstallerVersion="500" Compressed="yes" InstallScope="perMachine" Description="${xml(`${pkg.name} ${pkg.version}`)}" Comments="${xml(pkg.homepage)}"/>
    <Media Id="1" Cabinet="uvxsafe.cab" EmbedCab="yes"/>
    <MajorUpgrade Schedule="afterInstallInitialize" DowngradeErrorMessage="A newer version of ${xml(pkg.name)} is already installed."/>
    <Property Id="ARPNOMODIFY" Value="1"/>
    <Property Id="ARPNOREPAIR" Value="1"/>
    <Property Id="ARPURLINFOABOUT" Value="${xml(pkg.homepage)}"/>
    <Directory Id="TARGETDIR" Name="SourceDir">
      <Directory Id="CommonAppDataFolder">
        <Directory Id="POLICYDIR" Name="uvx-safe">
          <Component Id="PolicyFolder" Guid="0C4E7B19-6A2D-4F85-93B1-7E5D2A8C6F30" Win64="yes">
            <CreateFolder/>
          </Component>
        </Directory>
      </Directory>
      <Directory Id="ProgramFiles64Folder">
        <Directory Id="INSTALLDIR" Name="uvx-safe">
          <Component Id="UvxSafeExe" Guid="*" Win64="yes">
            <File Id="UvxSafeExe" Name="uvx-safe.exe" Source="${xml(exe)}" KeyPath="yes"/>
            <!-- Removed when empty, after bin\ (Windows Installer would anyway; Wine's needs telling). -->
            <CreateFolder/>
          </Component>
          <Directory Id="BINDIR" Name="bin">
            <Component Id="BinDir" Guid="5B0F8A3D-1E47-4C92-B6A8-2F9D0C7E1A54" Win64="yes">
              <CreateFolder/>
            </Component>
          </Directory>
        </Directory>
      </Directory>
    </Directory>
${actionXml.join('\n')}
    <InstallExecuteSequence>
${sequenceXml.join('\n')}
    </InstallExecuteSequence>
    <Feature Id="Main" Level="1">
      <ComponentRef Id="UvxSafeExe"/>
      <ComponentRef Id="BinDir"/>
      <ComponentRef Id="PolicyFolder"/>
    </Feature>
  </Product>
</Wix>
`;
}

/**
 * The Environment row WiX writes for <Environment Name="PATH" Action="set" Part="first" System="yes">:
 * `=` set, `-` removed with the component, `*` the machine's variable; `value;[~]` puts it first.
 */
export const ENVIRONMENT_IDT = [
  'Environment\tName\tValue\tComponent_',
  's72\tl255\tL255\ts72',
  'Environment\tEnvironment',
  'UvxSafePath\t=-*PATH\t[INSTALLDIR]bin;[~]\tBinDir',
  '',
].join('\r\n');

/**
 * Fixes to what wixl wrote: POLICY and REMOVEPOLICY are passed from the command line to the
 * installing service (secure properties; wixl's MajorUpgrade sets the row with its own two), and the
 * old version is removed right after InstallInitialize, inside the new one's transaction (WiX's
 * Schedule="afterInstallInitialize"), so an upgrade that fails rolls back to the old version, not to
 * nothing; wixl ignores Schedule and puts RemoveExistingProducts after InstallFiles, where the old
 * version's uninstall would delete the shims the new one just made.
 */
export const FIXES = [
  "UPDATE `Property` SET `Value` = 'WIX_DOWNGRADE_DETECTED;WIX_UPGRADE_DETECTED;POLICY;REMOVEPOLICY' WHERE `Property` = 'SecureCustomProperties'",
  "UPDATE `InstallExecuteSequence` SET `Sequence` = 1501 WHERE `Action` = 'RemoveExistingProducts'",
];

/** The File table's Version column, which wixl leaves empty: the executable's own version resource. */
export const fileVersionFix = (fourPartVersion) => `UPDATE \`File\` SET \`Version\` = '${fourPartVersion}' WHERE \`File\` = 'UvxSafeExe'`;

/**
 * RemoveFile rows (wixl rejects <RemoveFile>): the shims, and any renamed aside while they ran,
 * are deleted with the BinDir component (InstallMode 2: on uninstall), before RemoveFolders.
 */
export const REMOVE_FILE_IDT = [
  'FileKey\tComponent_\tFileName\tDirProperty\tInstallMode',
  's72\ts72\tL255\ts72\ti2',
  'RemoveFile\tFileKey',
  'UvShim\tBinDir\tuv.exe\tBINDIR\t2',
  'UvxShim\tBinDir\tuvx.exe\tBINDIR\t2',
  'ShimsAside\tBinDir\t*.old-*\tBINDIR\t2',
  '',
].join('\r\n');

/** The standard actions that apply the Environment table (sequence numbers as WiX gives them). */
export const ENVIRONMENT_ACTIONS = [
  ['RemoveEnvironmentStrings', 3300],
  ['WriteEnvironmentStrings', 5200],
];
