// mvn verify failed (invoker.properties), in lockdep4j's check, naming both locks of the cycle.
def log = new File(basedir, 'build.log').text
def out = new File(basedir, 'target/lockdep4j')
def cycle = 'possible circular locking dependency detected: com.example.bank.Bank.accountsLock -> com.example.bank.Bank.ledgerLock'
assert log.contains(cycle) : 'the build log names both locks'
assert log =~ /Failed to execute goal io\.lockdep4j:lockdep4j-maven-plugin:[^ ]+:check .*new lock-order hazards/
assert log.contains('Tests run: 1, Failures: 0') : 'the tests themselves passed: only lockdep4j failed the build'
assert !log.contains('Corrupted channel') : 'JFR wrote to the fork\'s stdout'
assert new File(basedir, 'target/surefire-reports').listFiles().findAll { it.name.endsWith('.dumpstream') }.isEmpty()
def recordings = out.listFiles().findAll { it.name ==~ /hotspot-pid-\d+-.*\.jfr/ }
assert recordings.size() == 1 : "one recording per forked JVM: ${out.list()}"
assert new File(out, 'lockdep4j.txt').text.contains(cycle)
assert new File(out, 'lockdep4j.html').text.contains('com.example.bank.Bank.ledgerLock')
def sarif = new groovy.json.JsonSlurper().parse(new File(out, 'lockdep4j.sarif'))
assert sarif.runs[0].results*.ruleId == ['lock-order-cycle']
// --source-roots: the result is located in the user's source file, relative to the build's directory
assert new File(out, 'lockdep4j.sarif').text.contains('src/main/java/com/example/bank/Bank.java')
return true
